"""The local dashboard: ``suanli serve``. :func:`suanli.web.app.create_app` builds the
FastAPI app; re-scoring goes through the index engine's :class:`~suanli.index.fast.Rescorer`."""
