// Samplers take and return the seeded generator, so `import KilnSweep` brings it along.
@_exported import KilnRandom
