namespace SkillsRegistry.Api.Features.Operations;

/// <summary>Passes bytes through, tells progress how many went by, and stops at the first read or write after an interrupt.</summary>
public sealed class MeteredStream(Stream inner, Action<long> bytesSoFar, CancellationToken ct) : Stream
{
    private long total;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ct.ThrowIfCancellationRequested();
        var read = inner.Read(buffer);
        bytesSoFar(total += read);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ct.ThrowIfCancellationRequested();
        inner.Write(buffer);
        bytesSoFar(total += buffer.Length);
    }

    public override void Flush() => inner.Flush();
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
