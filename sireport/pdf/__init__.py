"""PDF output: the reports converted by LibreOffice kept warm, with free stand-ins for
the official fonts.

- :mod:`sireport.pdf.office`: finding LibreOffice and a Python that drives it (``uno``);
- :mod:`sireport.pdf.uno_worker`: the converter process (runs under that Python);
- :mod:`sireport.pdf.pool`: a pool of converters, restarted after N documents or a hang;
- :mod:`sireport.pdf.fonts`: the faces a template names, their stand-ins, a PDF's fonts;
- ``fonts.conf``: the fontconfig substitutions used on Linux.
"""
