// KilnTensor users get the seeded generator with `import KilnTensor`, as before it moved to KilnRandom.
@_exported import KilnRandom
