"""The queries room: the SPARQL catalogue and how its questions are answered.

The catalogue files and their headers, parameters, running a query on a local store
or on a remote SPARQL endpoint, the rows and their renderings, counts and statistics.
It imports the graph room only.
"""
