"""python_test.py is a guest program (run_e2e.py runs it inside the VM), not a pytest module."""

collect_ignore = ["python_test.py"]
