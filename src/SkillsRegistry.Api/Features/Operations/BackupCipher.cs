using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace SkillsRegistry.Api.Features.Operations;

/// <summary>A passphrase that does not open an archive, or an archive that was cut short or altered.</summary>
public sealed class BackupArchiveException(string message) : Exception(message);

/// <summary>
/// The encryption of a backup archive: AES-256-GCM under a key derived from the passphrase with PBKDF2-SHA256
/// (iterations and a random salt in the header), applied to 1 MiB chunks so archives of any size stream. Each chunk has
/// its own nonce (the header's random nonce with the chunk's number mixed in) and authenticates the header, its number
/// and whether it is the last one: a wrong passphrase fails on the first chunk, a reordered, altered or truncated
/// archive fails where it was damaged.
/// </summary>
public static class BackupCipher
{
    public static ReadOnlySpan<byte> Magic => "SRBACKUP"u8;
    public const int Iterations = 600_000;
    private const byte Version = 1;
    private const int MaxIterations = 10_000_000;
    private const int SaltSize = 16;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 8 + 1 + 4 + SaltSize + NonceSize;
    public const int ChunkSize = 1 << 20;

    /// <summary>Passphrases shorter than this are refused: the archive holds the keys to every encrypted column.</summary>
    public const int MinimumPassphraseLength = 12;

    public static bool IsEncrypted(ReadOnlySpan<byte> start) => start.StartsWith(Magic);

    public static Stream Encrypt(Stream output, string passphrase)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        header[8] = Version;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(9), Iterations);
        RandomNumberGenerator.Fill(header.AsSpan(13, SaltSize + NonceSize));
        output.Write(header);
        return new ChunkWriter(output, header, DeriveKey(passphrase, header));
    }

    public static Stream Decrypt(Stream input, string passphrase)
    {
        var header = new byte[HeaderSize];
        input.ReadExactly(header);
        if (!IsEncrypted(header) || header[8] != Version)
            throw new BackupArchiveException("This file is not an encrypted registry backup (or one of a newer format).");
        var iterations = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(9));
        if (iterations is < 1 or > MaxIterations) throw new BackupArchiveException("The archive's header is damaged.");
        return new ChunkReader(input, header, DeriveKey(passphrase, header));
    }

    private static byte[] DeriveKey(string passphrase, byte[] header) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), header.AsSpan(13, SaltSize),
            BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(9)), HashAlgorithmName.SHA256, 32);

    private static void ChunkParameters(byte[] header, long index, bool final, Span<byte> nonce, Span<byte> associated)
    {
        header.AsSpan(13 + SaltSize, NonceSize).CopyTo(nonce);
        var counter = BinaryPrimitives.ReadInt64BigEndian(nonce[4..]) ^ index;
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], counter);
        header.CopyTo(associated);
        BinaryPrimitives.WriteInt64BigEndian(associated[HeaderSize..], index);
        associated[HeaderSize + 8] = final ? (byte)1 : (byte)0;
    }

    /// <summary>Write-only: buffers a chunk, seals it when full; <see cref="Stream.Dispose()"/> seals the last one only after <see cref="Finish"/>.</summary>
    private sealed class ChunkWriter(Stream output, byte[] header, byte[] key) : Stream
    {
        private readonly AesGcm aes = new(key, TagSize);
        private readonly byte[] buffer = new byte[ChunkSize];
        private int filled;
        private long index;

        public override void Write(byte[] data, int offset, int count) => Write(data.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                if (filled == ChunkSize) Seal(final: false);
                var take = Math.Min(ChunkSize - filled, data.Length);
                data[..take].CopyTo(buffer.AsSpan(filled));
                filled += take;
                data = data[take..];
            }
        }

        public override void Flush() => output.Flush();

        /// <summary>Seals the last chunk. An archive without it is read as truncated.</summary>
        public void Finish()
        {
            Seal(final: true);
            output.Flush();
        }

        private void Seal(bool final)
        {
            Span<byte> nonce = stackalloc byte[NonceSize];
            Span<byte> associated = stackalloc byte[HeaderSize + 9];
            ChunkParameters(header, index++, final, nonce, associated);
            var sealedChunk = new byte[5 + filled + TagSize];
            sealedChunk[0] = final ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt32BigEndian(sealedChunk.AsSpan(1), filled);
            aes.Encrypt(nonce, buffer.AsSpan(0, filled), sealedChunk.AsSpan(5, filled), sealedChunk.AsSpan(5 + filled, TagSize), associated);
            output.Write(sealedChunk);
            filled = 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) aes.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] data, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Seals the last chunk of a stream made by <see cref="Encrypt"/>.</summary>
    public static void Finish(Stream encrypting) => ((ChunkWriter)encrypting).Finish();

    private sealed class ChunkReader(Stream input, byte[] header, byte[] key) : Stream
    {
        private readonly AesGcm aes = new(key, TagSize);
        private byte[] plain = [];
        private int position;
        private long index;
        private bool ended;

        public override int Read(byte[] data, int offset, int count) => Read(data.AsSpan(offset, count));

        public override int Read(Span<byte> data)
        {
            while (position == plain.Length)
            {
                if (ended) return 0;
                Open();
            }
            var take = Math.Min(data.Length, plain.Length - position);
            plain.AsSpan(position, take).CopyTo(data);
            position += take;
            return take;
        }

        private void Open()
        {
            Span<byte> prefix = stackalloc byte[5];
            if (input.ReadAtLeast(prefix, 5, throwOnEndOfStream: false) < 5)
                throw new BackupArchiveException("The archive is truncated: it ends before its last part (an interrupted copy?).");
            var final = prefix[0] == 1;
            var length = BinaryPrimitives.ReadInt32BigEndian(prefix[1..]);
            if (prefix[0] > 1 || length is < 0 or > ChunkSize) throw new BackupArchiveException("The archive is damaged.");
            var sealedChunk = new byte[length + TagSize];
            if (input.ReadAtLeast(sealedChunk, sealedChunk.Length, throwOnEndOfStream: false) < sealedChunk.Length)
                throw new BackupArchiveException("The archive is truncated: it ends before its last part (an interrupted copy?).");
            Span<byte> nonce = stackalloc byte[NonceSize];
            Span<byte> associated = stackalloc byte[HeaderSize + 9];
            ChunkParameters(header, index, final, nonce, associated);
            plain = new byte[length];
            try
            {
                aes.Decrypt(nonce, sealedChunk.AsSpan(0, length), sealedChunk.AsSpan(length), plain, associated);
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new BackupArchiveException(index == 0
                    ? "The passphrase does not open this archive (or its first part is damaged). Nothing was restored."
                    : $"The archive is damaged after {index} MiB (a part failed its authentication check).");
            }
            index++;
            position = 0;
            ended = final;
            if (final && input.ReadByte() != -1) throw new BackupArchiveException("The archive has data after its last part: it is damaged.");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) aes.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] data, int offset, int count) => throw new NotSupportedException();
    }
}
