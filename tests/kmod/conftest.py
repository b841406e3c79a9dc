"""python_test.py and drivers_test.py are guest programs (run_e2e.py runs them in the VM),
not pytest modules."""

collect_ignore = ["python_test.py", "drivers_test.py"]
