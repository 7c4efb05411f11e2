"""Qt pieces that several panels use."""
