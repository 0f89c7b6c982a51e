"""Build scripts for the shipped package data (run as ``python -m supportinsight.train.<name>``).

Each script reads only data sets whose license allows shipping derived files and
writes into ``src/supportinsight/data/``.
"""
