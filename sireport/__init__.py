"""sireport: 社会保险基金支出绩效自评报告 from data, correct figures, official layout."""

__version__ = "0.1.0"
