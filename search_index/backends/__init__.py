"""Search engines behind one interface (``SearchBackend``) and one shared test suite."""
