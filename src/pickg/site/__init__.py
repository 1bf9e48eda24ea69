"""The website of the graph, in French and English: one page per resource, charts, a data dictionary.

:func:`pickg.site.build.build_site` builds it from a store; ``pickg site`` writes it to a
folder and every release carries it in ``site/`` (:mod:`pickg.release.publish` cannot
import this room, so ``pickg publish`` and ``pickg run`` add it through
:func:`pickg.site.build.build_site` called from the command line's side).
"""
