using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LoanRecovery.Cli;

/// <summary>Where a command writes: a Spectre console over the output writer, and whether it may draw progress bars.</summary>
public sealed class Output
{
    private const int RedirectedWidth = 160;

    public Output(TextWriter writer, TextWriter error, bool json)
    {
        Writer = writer;
        Error = error;
        Json = json;
        // Progress bars only on a real terminal: our writer is the process's stdout and it is not redirected.
        Interactive = !json && ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!Interactive) Ansi.Profile.Width = RedirectedWidth;
    }

    public TextWriter Writer { get; }
    public TextWriter Error { get; }
    public bool Json { get; }
    public bool Interactive { get; }
    public IAnsiConsole Ansi { get; }

    public void Line(string text = "") => Writer.WriteLine(text);

    public void Write(IRenderable renderable) => Ansi.Write(renderable);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void WriteJson(object value) => Writer.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Runs <paramref name="work"/> with a progress bar when interactive, plainly otherwise.</summary>
    public T WithProgress<T>(string title, int total, Func<IProgress<int>?, T> work)
    {
        if (!Interactive) return work(null);
        T result = default!;
        Ansi.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, total));
                result = work(new Reporter(task));
                task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class Reporter(ProgressTask task) : IProgress<int>
    {
        public void Report(int value) => task.Value = value;
    }

    public static string F(double v, string format = "0.000") => v.ToString(format, CultureInfo.InvariantCulture);
}
