// The shared library product. Everything it exports lives in RumpKernel and CRump;
// this target only carries the link flags of librump.so.0 (see Package.swift).
@_exported import RumpKernel
