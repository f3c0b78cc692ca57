"""Excel workbooks: the 填报 workbook's layout, reading and writing it, the 附表 as a
workbook, and batch's 汇总表/问题清单. openpyxl is imported only here."""
