"""The data: its model (pydantic), loading from YAML/JSON/Excel with positions, saving,
thresholds, fund names, ``from:`` references and the JSON Schema."""

TEXT_SUFFIXES = frozenset({".yaml", ".yml", ".json"})  # read by sireport.data.load
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})  # read by sireport.excel.read (macros are ignored)
DATA_SUFFIXES = TEXT_SUFFIXES | WORKBOOK_SUFFIXES  # what a batch or a check picks up in a folder
