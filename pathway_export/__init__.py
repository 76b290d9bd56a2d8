"""pathway-export: one canonical pathway description rendered to SBML and BioPAX, read back, and checked.

Import what you need::

    from pathway_export import canonical
    model = canonical.load("my_pathway.yaml")
    from pathway_export.formats.sbml import write_sbml
    write_sbml(model, "out/my_pathway.sbml.xml")
"""

__version__ = "0.1.0"
