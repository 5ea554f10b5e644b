using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoanRecovery.ServiceDefaults.Messaging;

/// <summary>An event waiting to be published; written in the same transaction as the change that caused it.</summary>
public sealed class OutboxMessage
{
    /// <summary>Order of production; the relay publishes in this order.</summary>
    public long SequenceNumber { get; set; }
    /// <summary>Message id the event is published with, so a downstream inbox absorbs a re-publish.</summary>
    public Guid MessageId { get; set; }
    /// <summary>Type name with assembly (<c>Namespace.Type, Assembly</c>).</summary>
    public string MessageType { get; set; } = "";
    public string Body { get; set; } = "";
    /// <summary>W3C traceparent of the activity that produced the event, so one trace spans the hop.</summary>
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>Set when the row can never be published (unknown type, unreadable body); <see cref="Failure"/> says why.</summary>
    public DateTimeOffset? FailedAt { get; set; }
    public string? Failure { get; set; }

    /// <summary>How event bodies are written: the contracts' camelCase shape, enums by name.</summary>
    public static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    public static string TypeNameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static OutboxMessage Create<T>(T message, DateTimeOffset now) where T : class => new()
    {
        MessageId = Guid.NewGuid(),
        MessageType = TypeNameOf(typeof(T)),
        Body = JsonSerializer.Serialize(message, JsonOptions),
        TraceParent = Activity.Current?.Id,
        CreatedAt = now,
    };

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
