"""Dash pages: layout only (components and ids, no data, no SQL). Data arrives through guarded callbacks."""
