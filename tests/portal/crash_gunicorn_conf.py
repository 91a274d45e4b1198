"""gunicorn settings for the crash-safety test.

The app is preloaded in the master and its objects are frozen out of the garbage collector; each
freshly forked worker opens the search index before it accepts connections. So after a SIGKILL the
new worker serves at once, and the test's random kills land in uploads, signing and note saves
rather than in the first request's one-off start-up work.
"""

import gc


def pre_fork(server, worker):  # noqa: ANN001, ANN201, ARG001 - gunicorn's hook signature
    gc.freeze()


def post_fork(server, worker):  # noqa: ANN001, ANN201, ARG001
    from portal.extensions import db
    from portal.web.search_glue import get_index

    app = server.app.wsgi()
    with app.app_context():
        get_index(app)
        db.session.remove()
