"""`make bench`: a synthetic corpus and the throughput, memory and latency figures measured on it."""
