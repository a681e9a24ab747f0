using System.Runtime.CompilerServices;

// The engine's books (positions, instructions, pending entries) are internal; their unit tests live in Engine.Tests.
[assembly: InternalsVisibleTo("KimiEA.Engine.Tests")]
