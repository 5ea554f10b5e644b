using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LoanRecovery.ServiceDefaults;

public static class OptionsValidation
{
    /// <summary>
    /// Validates the options' data annotations, one validation of a given options type at a time. <c>RangeAttribute</c> sets up
    /// its conversion lazily and not thread-safely (dotnet/runtime#1143), and the attribute instances are shared by the whole
    /// process: hosts started side by side in one process (the test suites, the benchmarks) validated the same options type at
    /// once, and one of them failed to start with an <see cref="InvalidCastException"/> from a <c>TimeSpan</c> range.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateDataAnnotationsSerially<TOptions>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new SerialDataAnnotationValidation<TOptions>(builder.Name));
        return builder;
    }

    private sealed class SerialDataAnnotationValidation<TOptions>(string name) : IValidateOptions<TOptions>
        where TOptions : class
    {
        // One gate per options type: the attributes that race belong to one type's properties.
        private static readonly Lock Gate = new();
        private readonly DataAnnotationValidateOptions<TOptions> _inner = new(name);

        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            lock (Gate)
                return _inner.Validate(name, options);
        }
    }
}
