"""Use cases shared by the HTML views, the API and the CLI. They take actor= and never commit."""
