"""Synthetic data at county, city and province scale (``manage.py anbiao_synth``, issue 10 part 1).

One module per domain, run in dependency order by ``build.build``: ``orgs`` (unit tree, logins, enterprises
and their dated states), ``duty``, ``hazards``, ``risks``, ``ledgers``, ``campaigns``, ``standards`` (which
reads the registry's enterprise facts of the rows before it), ``grades`` (the overall 四色 grade, last, from
everyone's facts). ``writer.Writer`` writes the rows in bulk; ``context`` holds the clock, the tree and the
enterprises in memory.
"""
