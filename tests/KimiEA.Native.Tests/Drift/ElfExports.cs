using System.Buffers.Binary;
using System.Text;

namespace KimiEA.Native.Tests.Drift;

/// <summary>
/// Reads the exported functions of an ELF64 little-endian shared object from its dynamic symbol table (.dynsym):
/// defined (section index ≠ SHN_UNDEF), FUNC, GLOBAL or WEAK binding, default visibility — what <c>dlsym</c> can
/// find and what <c>nm -D --defined-only</c> lists as T. Symbol version suffixes (<c>@@V1.0</c>) live in
/// .gnu.version, not in the name, so names come back bare.
/// </summary>
internal static class ElfExports
{
    private const uint ShtDynsym = 11;
    private const byte SttFunc = 2;
    private const byte StbGlobal = 1;
    private const byte StbWeak = 2;

    /// <summary>The exported function names of the shared object at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">Not an ELF64 little-endian file, or without a dynamic symbol table.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new FormatException($"{path} is not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new FormatException($"{path} is not ELF64 little-endian (class {elf[4]}, data {elf[5]})");
        }

        var shoff = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28)));
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        var shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (var i = 0; i < shnum; i++)
        {
            var sh = elf.AsSpan(shoff + (i * shentsize), shentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != ShtDynsym)
            {
                continue;
            }

            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(sh[24..]));
            var size = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(sh[32..]));
            var link = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(sh[40..]));
            var entsize = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(sh[56..]));
            var strtab = elf.AsSpan(shoff + (link * shentsize), shentsize);
            var strOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(strtab[24..]));

            var names = new List<string>();
            for (var s = offset; s + entsize <= offset + size; s += entsize)
            {
                var sym = elf.AsSpan(s, entsize);
                var nameIndex = BinaryPrimitives.ReadUInt32LittleEndian(sym);
                var info = sym[4];
                var other = sym[5];
                var shndx = BinaryPrimitives.ReadUInt16LittleEndian(sym[6..]);
                var bind = (byte)(info >> 4);
                if (shndx == 0 || (info & 0xF) != SttFunc || (bind != StbGlobal && bind != StbWeak) || (other & 3) != 0)
                {
                    continue;
                }

                var start = strOffset + (int)nameIndex;
                var end = Array.IndexOf(elf, (byte)0, start);
                names.Add(Encoding.ASCII.GetString(elf, start, end - start));
            }

            return names;
        }

        throw new FormatException($"{path} has no dynamic symbol table (.dynsym)");
    }
}
