"""Our own PDF/UA-1 conformance checks, for tests (no validator installs here).

Written from ISO 32000-1 §14.6-14.8 (marked content, logical structure, tagged PDF) and the
Matterhorn Protocol's machine-checkable conditions. `check_pdf(path)` returns a list of
failure strings; an empty list means every check passed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Name

TEXT_SHOW = {"Tj", "TJ", "'", '"'}
PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "INLINE IMAGE"}
STANDARD_14 = {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
               "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Courier",
               "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Symbol",
               "ZapfDingbats"}
STANDARD_ROLES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "Warichu", "Figure", "Formula",
    "Form"}


@dataclass
class Element:
    role: str
    obj: pikepdf.Dictionary
    kids: list = field(default_factory=list)  # Element | ("mcr", page_index, mcid) | ("objr", annot)


def _page_index(pdf: pikepdf.Pdf) -> dict:
    return {page.obj.objgen: i for i, page in enumerate(pdf.pages)}


def read_tree(pdf: pikepdf.Pdf) -> Element | None:
    """The structure tree as Elements, with content references resolved to page indexes."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None
    role_map = {str(k): str(v) for k, v in root.get("/RoleMap", {}).items()}
    pages = _page_index(pdf)

    def role_of(obj) -> str:
        role = str(obj.S)[1:]
        return role_map.get("/" + role, "/" + role)[1:] if role not in STANDARD_ROLES else role

    def walk(obj, inherited_page) -> Element:
        element = Element(role_of(obj), obj)
        page = obj.get("/Pg", inherited_page)
        kids = obj.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else ([kids] if kids is not None else [])
        for kid in kids:
            if isinstance(kid, int):
                element.kids.append(("mcr", pages[page.objgen], int(kid)))
            elif kid.get("/Type") == Name.MCR:
                element.kids.append(("mcr", pages[kid.get("/Pg", page).objgen], int(kid.MCID)))
            elif kid.get("/Type") == Name.OBJR:
                element.kids.append(("objr", kid.Obj))
            else:
                element.kids.append(walk(kid, page))
        return element

    document = Element("StructTreeRoot", root)
    kids = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    document.kids = [walk(kid, None) for kid in kids]
    return document


def iter_elements(element: Element):
    yield element
    for kid in element.kids:
        if isinstance(kid, Element):
            yield from iter_elements(kid)


def content_marks(pdf: pikepdf.Pdf, failures: list) -> dict[int, list[int]]:
    """Walk every page's content: each painting operator must be in an MCID sequence or an
    Artifact; sequences must not nest, straddle BT/ET or q/Q. Returns the MCIDs per page."""
    found: dict[int, list[int]] = {}
    for index, page in enumerate(pdf.pages):
        found[index] = []
        stack: list[str] = []  # "artifact" | "mcid" | "other"
        text_depth, q_depths = None, []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                has_mcid = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                if tag == "/Artifact":
                    if "mcid" in stack:
                        failures.append(f"page {index + 1}: Artifact inside tagged content")
                    stack.append("artifact")
                elif has_mcid:
                    if "mcid" in stack:
                        failures.append(f"page {index + 1}: nested MCID sequences")
                    if "artifact" in stack:
                        failures.append(f"page {index + 1}: MCID inside an Artifact")
                    found[index].append(int(props.MCID))
                    stack.append("mcid")
                else:
                    stack.append("other")
            elif op == "EMC":
                if not stack:
                    failures.append(f"page {index + 1}: EMC without BMC/BDC")
                else:
                    stack.pop()
            elif op == "BT":
                text_depth = len(stack)
            elif op == "ET":
                if text_depth != len(stack):
                    failures.append(f"page {index + 1}: marked content straddles BT/ET")
                text_depth = None
            elif op == "q":
                q_depths.append(len(stack))
            elif op == "Q":
                if q_depths and q_depths.pop() != len(stack):
                    failures.append(f"page {index + 1}: marked content straddles q/Q")
            elif op in TEXT_SHOW or op in PAINT:
                if "mcid" not in stack and "artifact" not in stack:
                    failures.append(f"page {index + 1}: '{op}' is neither tagged nor an "
                                    "artifact")
        if stack:
            failures.append(f"page {index + 1}: {len(stack)} marked sequence(s) left open")
    return found


def check_structure(pdf: pikepdf.Pdf, failures: list) -> Element | None:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        failures.append("no StructTreeRoot")
        return None
    for key in ("/ParentTree", "/ParentTreeNextKey"):
        if key not in root:
            failures.append(f"StructTreeRoot has no {key}")
    tree = read_tree(pdf)
    if not tree.kids or tree.kids[0].role != "Document":
        failures.append("the tree does not start with a Document element")
    last_level = 0
    for element in iter_elements(tree):
        role = element.role
        if role not in STANDARD_ROLES and role != "StructTreeRoot":
            failures.append(f"role '{role}' is neither standard nor role-mapped")
        match = re.fullmatch(r"H([1-6])", role)
        if match:
            level = int(match.group(1))
            if level > last_level + 1:
                failures.append(f"heading level skipped: H{last_level} then H{level}")
            last_level = level
        if role == "Figure" and "/Alt" not in element.obj:
            failures.append("Figure without /Alt")
        if role == "TH" and "/Scope" not in element.obj.get("/A", {}):
            failures.append("TH without a Scope attribute")
        child_roles = {k.role for k in element.kids if isinstance(k, Element)}
        if role == "L" and child_roles - {"LI", "Caption", "L"}:
            failures.append(f"L holds {sorted(child_roles)}")
        if role == "LI" and not child_roles <= {"Lbl", "LBody"}:
            failures.append(f"LI holds {sorted(child_roles)}")
        if role == "TR" and not child_roles <= {"TH", "TD"}:
            failures.append(f"TR holds {sorted(child_roles)}")
    return tree


def check_references(pdf: pikepdf.Pdf, tree: Element, marks: dict, failures: list) -> None:
    """Each MCID on a page is referenced exactly once from the tree, and the ParentTree
    maps it back to the element that references it. Link annotations: OBJR both ways."""
    referenced: dict[tuple[int, int], Element] = {}
    objr_annots = {}
    for element in iter_elements(tree):
        for kid in element.kids:
            if isinstance(kid, tuple) and kid[0] == "mcr":
                key = (kid[1], kid[2])
                if key in referenced:
                    failures.append(f"page {kid[1] + 1} MCID {kid[2]} referenced twice")
                referenced[key] = element
            elif isinstance(kid, tuple) and kid[0] == "objr":
                objr_annots[kid[1].objgen] = element
    in_content = {(page, mcid) for page, mcids in marks.items() for mcid in mcids}
    for page, mcids in marks.items():
        if len(mcids) != len(set(mcids)):
            failures.append(f"page {page + 1}: an MCID is used twice")
    for key in sorted(in_content - set(referenced)):
        failures.append(f"page {key[0] + 1} MCID {key[1]} is not referenced from the tree")
    for key in sorted(set(referenced) - in_content):
        failures.append(f"tree references page {key[0] + 1} MCID {key[1]}, not in content")
    parent_tree = _number_tree(pdf.Root.StructTreeRoot.get("/ParentTree"))
    for index, page in enumerate(pdf.pages):
        if "/StructParents" not in page.obj:
            if marks.get(index):
                failures.append(f"page {index + 1} has no /StructParents")
            continue
        entry = parent_tree.get(int(page.obj.StructParents))
        for mcid in marks.get(index, []):
            element = referenced.get((index, mcid))
            if entry is None or mcid >= len(entry) or element is None or \
                    entry[mcid].objgen != element.obj.objgen:
                failures.append(f"ParentTree does not map page {index + 1} MCID {mcid}")
        annots = [a for a in page.obj.get("/Annots", [])]
        if annots and page.obj.get("/Tabs") != Name.S:
            failures.append(f"page {index + 1} has annotations but no /Tabs /S")
        for annot in annots:
            if annot.get("/Subtype") != Name.Link:
                continue
            element = objr_annots.get(annot.objgen)
            if element is None or element.role != "Link":
                failures.append(f"page {index + 1}: a link annotation is not in a Link element")
            if "/Contents" not in annot:
                failures.append(f"page {index + 1}: a link annotation has no /Contents")
            key = annot.get("/StructParent")
            if key is None or element is None or \
                    parent_tree.get(int(key)) is None or \
                    parent_tree[int(key)].objgen != element.obj.objgen:
                failures.append(f"page {index + 1}: link annotation /StructParent is wrong")


def _number_tree(node) -> dict:
    result = {}
    if node is None:
        return result
    nums = node.get("/Nums", [])
    for i in range(0, len(nums), 2):
        result[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        result.update(_number_tree(kid))
    return result


def check_document(pdf: pikepdf.Pdf, failures: list) -> None:
    root = pdf.Root
    if not root.get("/MarkInfo", {}).get("/Marked", False):
        failures.append("MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")):
        failures.append("no document /Lang")
    if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
        failures.append("DisplayDocTitle is not true")
    metadata = root.get("/Metadata")
    xmp = metadata.read_bytes().decode("utf-8") if metadata is not None else ""
    if "<pdfuaid:part>1</pdfuaid:part>" not in xmp:
        failures.append("XMP has no pdfuaid:part 1")
    title = str(pdf.trailer.get("/Info", {}).get("/Title", ""))
    if not title or f">{_xml(title)}</rdf:li>" not in xmp:
        failures.append("dc:title missing or not the same as the Info /Title")
    for font in _fonts(pdf):
        base = str(font.get("/BaseFont", ""))[1:]
        if base.split("+")[-1] in STANDARD_14:
            failures.append(f"standard-14 font {base}")
        descriptor = font.get("/FontDescriptor")
        if font.get("/Subtype") == Name.Type0:
            descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in
                                         ("/FontFile", "/FontFile2", "/FontFile3")):
            failures.append(f"font {base} is not embedded")
        if "/ToUnicode" not in font:
            failures.append(f"font {base} has no ToUnicode map")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fonts(pdf: pikepdf.Pdf):
    seen = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen not in seen:
                seen.add(font.objgen)
                yield font


def check_pdf(path) -> list[str]:
    failures: list[str] = []
    with pikepdf.open(path) as pdf:
        check_document(pdf, failures)
        marks = content_marks(pdf, failures)
        tree = check_structure(pdf, failures)
        if tree is not None:
            check_references(pdf, tree, marks, failures)
    return failures
