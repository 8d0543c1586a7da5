"""Reads cjsim's sdg.csv with the sdmx1 package's SDMX-CSV reader (used by the experiments
integration test `sdg::`).

sdg.csv follows the UN SDG Global Database's downloads: SDMX-CSV 1.0, whose first column
DATAFLOW names the dataflow. SDMX-CSV 2.0, which sdmx1 reads, puts the same reference in the
columns STRUCTURE, STRUCTURE_ID and ACTION and is otherwise the same; the header is rewritten
so, and the rest is parsed against the components of the dataflow IAEG-SDGs:DF_SDG_GLH. Any
column that is not a component of it, a dimension out of key order or a malformed dataflow
reference is an error. Prints the observations as JSON.
"""

import io
import json
import re
import sys

import sdmx
from sdmx.model import common, v21
from sdmx.reader.csv import Reader

DIMENSIONS = sys.argv[2].split(",")
ATTRIBUTES = sys.argv[3].split(",")


def dataflow(agency, ident, version):
    dsd = v21.DataStructureDefinition(id="SDG_GLH", maintainer=common.Agency(id=agency), version=version)
    for order, d in enumerate(DIMENSIONS):
        dsd.dimensions.getdefault(d, order=order)
    dsd.dimensions.getdefault("TIME_PERIOD", cls=common.TimeDimension, order=len(DIMENSIONS))
    dsd.measures.getdefault("OBS_VALUE")
    for a in ATTRIBUTES:
        dsd.attributes.getdefault(a)
    return v21.DataflowDefinition(id=ident, maintainer=common.Agency(id=agency), version=version, structure=dsd)


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    lines = text.splitlines()
    header = lines[0].split(",")
    if header[0] != "DATAFLOW":
        sys.exit(f"SDMX-CSV 1.0: the first column must be DATAFLOW, not {header[0]!r}")
    if header[1 : 1 + len(DIMENSIONS)] != DIMENSIONS:
        sys.exit(f"dimensions out of key order: {header[1:1 + len(DIMENSIONS)]}")
    refs = {l.split(",", 1)[0] for l in lines[1:]}
    if len(refs) != 1:
        sys.exit(f"one dataflow expected, found {sorted(refs)}")
    ref = refs.pop()
    m = re.fullmatch(r"([A-Za-z0-9_@$-]+):([A-Za-z0-9_@$-]+)\(([0-9.]+)\)", ref)
    if not m:
        sys.exit(f"malformed dataflow reference {ref!r}")
    flow = dataflow(*m.groups())
    v2 = ["STRUCTURE,STRUCTURE_ID,ACTION," + ",".join(header[1:])]
    v2 += [f"dataflow,{ref},I," + l.split(",", 1)[1] for l in lines[1:]]
    reader = Reader()
    message = reader.convert(io.BytesIO("\n".join(v2).encode()), structure=flow)
    if reader.options.custom_columns:
        sys.exit(f"columns that are not components of {ref}: {reader.options.custom_columns}")
    out = []
    for ds in message.data:
        for obs in ds.obs:
            out.append(
                {
                    "key": {k: v.value for k, v in obs.dimension.values.items()},
                    "value": float(obs.value),
                    "attributes": {k: v.value for k, v in obs.attached_attribute.items()},
                }
            )
    print(json.dumps({"dataflow": ref, "observations": out}))


main()
