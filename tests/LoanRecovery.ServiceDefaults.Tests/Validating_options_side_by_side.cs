using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LoanRecovery.ServiceDefaults.Tests;

public sealed class Validating_options_side_by_side
{
    public sealed class WindowOptions
    {
        [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);
        [Range(1, 100)] public int Size { get; set; } = 10;
    }

    /// <summary>Notes how many validations of its property run at the same moment, each taking a while.</summary>
    public sealed class CountsValidationsAtOnce : ValidationAttribute
    {
        private static int _running;
        public static int MostAtOnce;

        protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
        {
            var running = Interlocked.Increment(ref _running);
            for (var seen = Volatile.Read(ref MostAtOnce); running > seen; seen = Volatile.Read(ref MostAtOnce))
                Interlocked.CompareExchange(ref MostAtOnce, running, seen);
            Thread.Sleep(50);
            Interlocked.Decrement(ref _running);
            return ValidationResult.Success;
        }
    }

    public sealed class ObservedOptions
    {
        [CountsValidationsAtOnce] public int Value { get; set; }
    }

    private static IOptions<T> Build<T>(Action<T> configure) where T : class
    {
        var services = new ServiceCollection();
        services.AddOptions<T>().Configure(configure).ValidateDataAnnotationsSerially();
        return services.BuildServiceProvider().GetRequiredService<IOptions<T>>();
    }

    [Fact]
    public void A_value_out_of_range_is_refused_naming_the_field()
    {
        var options = Build<WindowOptions>(o => { o.Window = TimeSpan.FromHours(2); o.Size = 0; });

        var error = Assert.Throws<OptionsValidationException>(() => options.Value);
        Assert.Contains(error.Failures, f => f.Contains(nameof(WindowOptions.Window)));
        Assert.Contains(error.Failures, f => f.Contains(nameof(WindowOptions.Size)));
    }

    // RangeAttribute's lazy set-up is not thread-safe (dotnet/runtime#1143) and the race is too narrow to provoke at will, so
    // this checks what protects it: one options type is never validated by two hosts at the same moment.
    [Fact]
    public async Task Hosts_starting_side_by_side_validate_one_options_type_one_at_a_time()
    {
        const int hosts = 8;
        var barrier = new Barrier(hosts);
        var starts = Enumerable.Range(0, hosts)
            .Select(i => Task.Factory.StartNew(() =>
            {
                var options = Build<ObservedOptions>(o => o.Value = i);
                barrier.SignalAndWait();
                return options.Value.Value;
            }, TaskCreationOptions.LongRunning))
            .ToArray();

        var values = await Task.WhenAll(starts);

        Assert.Equal(Enumerable.Range(0, hosts), values.Order());
        Assert.Equal(1, CountsValidationsAtOnce.MostAtOnce);
    }
}
