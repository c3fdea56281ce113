"""The weekly digest's core: what the build hands to the sender (``manifest``). Pure."""
