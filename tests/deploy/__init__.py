"""Tests of deploy/: the caches and the Kubernetes example, against real programs."""
