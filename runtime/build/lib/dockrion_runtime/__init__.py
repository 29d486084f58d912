"""dockrion_runtime: the HTTP service that wraps a Dockfile-described agent.

Kept import-light on purpose: cold start (process start to /ready) is part of the contract.
"""

__version__ = "1.0.0"
