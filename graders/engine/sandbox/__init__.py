"""Building the sandbox: the bubblewrap policy, resource limits, the kernel launcher and kernel
spec, and the two ways to start a sandboxed kernel (cold, or forked by the factory)."""
