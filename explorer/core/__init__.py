"""The lecture's mathematics in pure NumPy. Nothing here may import Qt (a test enforces it)."""
