"""Presentation helpers shared by pages and callbacks: the Chinese text catalogue, figures, grids, exports."""
