"""The host side of `run`, the only code that imports papermill and nbconvert. Read top-down:

options (RunOptions) -> plan (Job, where the notebooks, params and kernel are) -> run (the batch)
-> workers (the pool, signals) -> job (one report) -> execute (papermill) | export (nbconvert)
-> manifest (reports.json) -> index_page; kernel: the kernels a job starts; outcome: a job's result.
"""
