"""The lecture's mathematics in NumPy (SciPy for BLAS gemm and the perceptron LP). Nothing here may import Qt
(a test enforces it)."""
