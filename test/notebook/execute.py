"""Executes a notebook with Debian's nbclient and writes it back with its outputs: execute.py IN OUT.

Also writes OUT.txt, each cell's printed text joined: the kernel sends what a cell prints in as many
pieces as its flush timer cuts it into (on a busy host, "exit" and " 1" may arrive apart), and the
notebook keeps the pieces apart, so what a cell printed is read from the join.
"""
import sys

import nbformat
from nbclient import NotebookClient

notebook = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
nbformat.write(notebook, sys.argv[2])
with open(sys.argv[2] + ".txt", "w", encoding="utf-8") as printed:
    for cell in notebook.cells:
        printed.write("".join(out.get("text", "") for out in cell.get("outputs", []) if out.output_type == "stream"))
