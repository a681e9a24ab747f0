using System.Runtime.InteropServices;

namespace KimiEA.Data;

/// <summary>
/// The one up-front check of a file the user names on the command line (market data, a journal, a broker state):
/// a missing file, a folder, a named pipe (FIFO: reading it blocks until some other process writes), a device or a
/// socket, and a file that cannot be opened get an <see cref="InputFileException"/> naming the file and the
/// problem, before anything is read or written.
/// </summary>
public static class InputFile
{
    /// <summary>Checks that <paramref name="path"/> is an existing regular file and opens it for sequential reading.</summary>
    /// <exception cref="InputFileException">Missing, not a regular file, or not readable.</exception>
    public static FileStream OpenRead(string path)
    {
        CheckExistingRegular(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw CannotOpen(path, e, "read");
        }
    }

    /// <summary>Checks that <paramref name="path"/> is an existing regular file (not a folder, FIFO, device or socket).</summary>
    /// <exception cref="InputFileException">It is not.</exception>
    public static void CheckExistingRegular(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var kind = KindOf(path);
        if (kind == Kind.Missing)
        {
            throw new InputFileException(path, "the file does not exist");
        }

        ThrowIfNotRegular(path, kind);
    }

    /// <summary>
    /// Checks a file a command may create: when it exists it must be a regular file; when it does not, its folder
    /// must exist. Returns true when the file exists.
    /// </summary>
    /// <exception cref="InputFileException">Not a regular file, or the folder is missing.</exception>
    public static bool CheckCreatable(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var kind = KindOf(path);
        if (kind != Kind.Missing)
        {
            ThrowIfNotRegular(path, kind);
            return true;
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            throw new InputFileException(path, $"the folder {dir} does not exist");
        }

        return false;
    }

    /// <summary>An <see cref="InputFileException"/> for a file that exists but could not be opened (<paramref name="access"/>: read, write).</summary>
    public static InputFileException CannotOpen(string path, Exception cause, string access)
    {
        ArgumentNullException.ThrowIfNull(cause);
        return cause is UnauthorizedAccessException
            ? new InputFileException(path, $"permission denied: the file cannot be opened to {access}", cause)
            : new InputFileException(path, $"the file cannot be opened to {access}: {cause.Message}", cause);
    }

    private static void ThrowIfNotRegular(string path, Kind kind)
    {
        var problem = kind switch
        {
            Kind.Directory => "is a folder, not a file",
            Kind.Fifo => "is a named pipe (FIFO), not a regular file; reading it would wait for a writer forever",
            Kind.Device => "is a device, not a regular file",
            Kind.Socket => "is a socket, not a regular file",
            Kind.Other => "is not a regular file",
            _ => null,
        };
        if (problem is not null)
        {
            throw new InputFileException(path, problem);
        }
    }

    private enum Kind
    {
        Missing,
        Regular,
        Directory,
        Fifo,
        Device,
        Socket,
        Other,
    }

    private static Kind KindOf(string path)
    {
        if (OperatingSystem.IsLinux() && Native.TryFileType(path, out var type, out var errno))
        {
            return type switch
            {
                0 => errno == Native.ENOENT || errno == Native.ENOTDIR ? Kind.Missing : Kind.Regular, // any other stat error: the open reports it
                Native.S_IFREG => Kind.Regular,
                Native.S_IFDIR => Kind.Directory,
                Native.S_IFIFO => Kind.Fifo,
                Native.S_IFCHR or Native.S_IFBLK => Kind.Device,
                Native.S_IFSOCK => Kind.Socket,
                _ => Kind.Other,
            };
        }

        // Elsewhere (Windows has no FIFOs in the file namespace) folders are the case to catch.
        return Directory.Exists(path) ? Kind.Directory : File.Exists(path) ? Kind.Regular : Kind.Missing;
    }

    /// <summary>The file type from Linux statx(2), whose struct layout is the same on every architecture.</summary>
    private static class Native
    {
        public const int ENOENT = 2;
        public const int ENOTDIR = 20;
        public const int S_IFMT = 0xF000;
        public const int S_IFIFO = 0x1000;
        public const int S_IFCHR = 0x2000;
        public const int S_IFDIR = 0x4000;
        public const int S_IFBLK = 0x6000;
        public const int S_IFREG = 0x8000;
        public const int S_IFSOCK = 0xC000;
        private const int AtFdCwd = -100;
        private const uint StatxType = 0x1;
        private const int ModeOffset = 28; // struct statx: u32 mask, u32 blksize, u64 attributes, u32 nlink, u32 uid, u32 gid, u16 mode
        private const int ENOSYS = 38;

        /// <summary>False when statx is unavailable (old kernel or C library); else the type bits (0 when the call failed, with errno).</summary>
        public static bool TryFileType(string path, out int type, out int errno)
        {
            var buffer = new byte[256];
            type = 0;
            errno = 0;
            try
            {
                if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    return errno != ENOSYS;
                }
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                return false;
            }

            type = (buffer[ModeOffset] | (buffer[ModeOffset + 1] << 8)) & S_IFMT;
            return true;
        }

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);
    }
}

/// <summary>A file named by the user cannot be used as it is; the message names the file and the problem.</summary>
public sealed class InputFileException : IOException
{
    /// <summary>Creates the exception: "<paramref name="path"/>: <paramref name="detail"/>".</summary>
    public InputFileException(string path, string detail, Exception? inner = null)
        : base($"{path}: {detail}", inner)
    {
        FilePath = path;
        Detail = detail;
    }

    /// <summary>Creates an exception with only a message.</summary>
    public InputFileException() : this("(unknown)", "unusable file") { }

    /// <summary>Creates an exception with only a message.</summary>
    public InputFileException(string message) : this("(unknown)", message) { }

    /// <summary>Creates an exception with only a message and a cause.</summary>
    public InputFileException(string message, Exception innerException) : this("(unknown)", message, innerException) { }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The problem without the file name.</summary>
    public string Detail { get; }
}
