"""Office Open XML element order: the one place that knows where a child element goes.

Word answers a part whose elements are out of the schema's order with "Word found
unreadable content … recover the contents?", and Excel rewrites such a workbook. Every
element sireport adds to a Word or Excel part therefore goes through :func:`insert` (or
:func:`child`, :func:`switch_on`), which puts it at its schema position, and parts
written by other libraries are put in order with :func:`reorder`.

The orders are the schema's sequences (ECMA-376 Part 1 as the Open XML SDK models
them, the model Word and Excel check against); ``a|b`` is a choice, either element in
any order at that position. A parent or a child not listed here is left where the
caller puts it (appended). ``tests/test_ooxml.py`` checks every order against the
schema that ships with the validator.
"""

from __future__ import annotations

import functools

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
X = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PREFIXES = {"w": W, "x": X}

SEQUENCES = {
    "w:tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblW jc tblCellSpacing tblInd tblBorders shd tblLayout "
               "tblCellMar tblLook tblCaption tblDescription tblPrChange",
    "w:tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
              "hideMark cellIns|cellDel|cellMerge tcPrChange",
    "w:tblGrid": "gridCol tblGridChange",
    "w:tblCellMar": "top left start bottom right end",
    "w:tcMar": "top left start bottom right end",
    "w:tbl": "tblPr tblGrid tr",
    "w:tr": "tblPrEx trPr tc",
    "w:tc": "tcPr p|tbl",
    "w:sectPr": "headerReference|footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
                "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
                "printerSettings sectPrChange",
    "w:pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
             "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
             "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
             "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "w:rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
             "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
             "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange",
    "w:style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
               "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
    "w:settings": "writeProtection view zoom removePersonalInformation removeDateAndTime "
                  "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
                  "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
                  "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader "
                  "bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors "
                  "activeWritingStyle proofState formsDesign attachedTemplate linkStyles stylePaneFormatFilter "
                  "stylePaneSortMethod documentType mailMerge revisionView trackRevisions doNotTrackMoves "
                  "doNotTrackFormatting documentProtection autoFormatOverride styleLockTheme styleLockQFSet "
                  "defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps "
                  "showEnvelope summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders "
                  "bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
                  "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
                  "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin "
                  "doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne "
                  "strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture "
                  "doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText "
                  "doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
                  "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars "
                  "rsids",  # (then m:mathPr and extensions in other namespaces: left where they are)
    "x:font": "b i strike condense extend outline shadow u vertAlign sz color name family charset scheme",
}


@functools.lru_cache(maxsize=256)  # (the names are the code's own: a few dozen)
def clark(name: str) -> str:
    """``w:tblPr`` → ``{http://…/main}tblPr``."""
    prefix, local = name.split(":")
    return f"{{{PREFIXES[prefix]}}}{local}"


def _ranks(parent: str, sequence: str) -> dict[str, int]:
    prefix = parent.split(":")[0]
    return {clark(f"{prefix}:{name}"): rank
            for rank, choice in enumerate(sequence.split()) for name in choice.split("|")}


ORDER: dict[str, dict[str, int]] = {clark(parent): _ranks(parent, seq) for parent, seq in SEQUENCES.items()}


def insert(parent: etree._Element, node: etree._Element) -> etree._Element:
    """Put ``node`` into ``parent`` at its schema position and return it: right after the last
    child that may come before it, else right before the first that must come after it.

    Children the order does not know (extensions in other namespaces, bookmarks) stay where
    they are; a new element goes before the extensions that follow its predecessors."""
    ranks = ORDER.get(parent.tag)
    rank = ranks.get(node.tag) if ranks else None
    if rank is None:
        parent.append(node)
        return node
    known = [(ranks[sibling.tag], sibling) for sibling in parent if sibling.tag in ranks]
    before = [sibling for position, sibling in known if position <= rank]
    after = [sibling for position, sibling in known if position > rank]
    if before:
        before[-1].addnext(node)
    elif after:
        after[0].addprevious(node)
    else:
        parent.append(node)
    return node


def child(parent: etree._Element, name: str) -> etree._Element:
    """The ``name`` child (``w:tblCellMar``) of ``parent``, created at its position if missing."""
    tag = clark(name)
    node = next(parent.iterchildren(tag), None)
    return node if node is not None else insert(parent, parent.makeelement(tag))


def first(parent: etree._Element, *tags: str) -> etree._Element | None:
    """``parent.find("a/b/…")`` of Clark tags (the first match in document order), walked
    child by child: lxml's ``find`` runs its path language in Python, call after call."""
    found = [parent]
    for tag in tags:
        found = [child for node in found for child in node.iterchildren(tag)]
    return found[0] if found else None


def switch_on(parent: etree._Element, name: str) -> etree._Element:
    """An on/off property (``w:cantSplit``) switched on as Word writes it: ``<w:cantSplit/>``."""
    node = child(parent, name)
    node.attrib.pop(clark("w:val"), None)
    return node


def reorder(parent: etree._Element) -> None:
    """Put the children of ``parent`` in schema order (a stable sort; unknown ones last)."""
    ranks = ORDER.get(parent.tag)
    if ranks:
        parent[:] = sorted(parent, key=lambda node: ranks.get(node.tag, len(ranks)))
