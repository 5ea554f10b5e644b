using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoanRecovery.ServiceDefaults.Http;

/// <summary>The body limit in force for this request, for the 413 problem to state.</summary>
public sealed record RequestBodyLimitFeature(long MaxBytes);

/// <summary>
/// Bounds every request body to <see cref="HttpInputOptions.MaxRequestBodyBytes"/>, or to the limit its endpoint
/// declares (<see cref="IRequestSizeLimitMetadata"/>; a null limit means the endpoint bounds its body itself). A body
/// whose Content-Length says it is too large is refused with 413 before a byte is read; a chunked body is cut off with
/// 413 as soon as it passes the limit. The same holds in-process (tests) as behind Kestrel.
/// </summary>
public sealed partial class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<HttpInputOptions> options, ILogger<RequestBodyLimitMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var limit = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } declared
            ? declared.MaxRequestBodySize
            : options.Value.MaxRequestBodyBytes;
        if (limit is not { } maxBytes || context.Request.ContentLength == 0
            || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
            return next(context);

        context.Features.Set(new RequestBodyLimitFeature(maxBytes));
        if (context.Request.ContentLength > maxBytes)
        {
            LogTooLarge(endpoint?.DisplayName, context.Request.ContentLength.Value, maxBytes);
            // Left without a body: the status code pages write the 413 problem (ProblemDetailsCustomizer states the limit).
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Task.CompletedTask;
        }
        context.Request.Body = new LimitedReadStream(context.Request.Body, maxBytes);
        return next(context);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request to {Endpoint} refused: body of {Bytes} bytes over the limit of {MaxBytes}")]
    private partial void LogTooLarge(string? endpoint, long bytes, long maxBytes);
}

/// <summary>Reads through to the request body and fails with 413 once more than the limit has been read.</summary>
public sealed class LimitedReadStream(Stream inner, long maxBytes) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    private int Count(int read)
    {
        _read += read;
        if (_read > maxBytes)
            throw new BadHttpRequestException($"The request body is larger than {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
