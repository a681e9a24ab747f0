using BenchmarkDotNet.Running;

// Entry point of the benchmark suite; each benchmark class documents the target it proves.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
