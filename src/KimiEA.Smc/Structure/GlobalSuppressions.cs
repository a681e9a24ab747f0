// The namespace name is fixed by issue #2 (KimiEA.Smc.Structure); "Structure" is only a keyword in Visual Basic,
// which no consumer of this engine library uses.
[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace", Target = "~N:KimiEA.Smc.Structure", Justification = "Namespace mandated by issue #2; VB-only keyword.")]
