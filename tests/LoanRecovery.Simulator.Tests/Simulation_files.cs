using LoanRecovery.Simulator.Domain;

namespace LoanRecovery.Simulator.Tests;

public sealed class Simulation_files
{
    private static string DefaultText() => File.ReadAllText(Simulation.File("simulation.default.json"));

    [Fact]
    public void The_shipped_files_are_valid()
    {
        Assert.Empty(Simulation.Default.Validate());
        Assert.Empty(Simulation.LegalWorksBest.Validate());
    }

    [Fact]
    public void An_out_of_range_value_is_reported_with_its_field()
    {
        var text = DefaultText().Replace("\"responseProbability\": 0.8,", "\"responseProbability\": 1.8,");
        var error = Assert.Throws<SimulationConfigException>(() => SimulationConfig.Parse(text, "broken.json"));
        Assert.Contains("broken.json", error.Message);
        Assert.Contains("strategies.Settlement.effects.LowAbilityHighWillingness.responseProbability: must be between 0 and 1 (was 1.8)", error.Message);
    }

    [Fact]
    public void A_missing_or_unknown_field_is_named()
    {
        var missing = DefaultText().Replace("\"shockSd\": 1.0,", "");
        Assert.Contains("shockSd", Assert.Throws<SimulationConfigException>(() => SimulationConfig.Parse(missing, "f.json")).Message);

        var unknown = DefaultText().Replace("\"shockSd\": 1.0,", "\"shockSd\": 1.0, \"shockScale\": 2,");
        Assert.Contains("shockScale", Assert.Throws<SimulationConfigException>(() => SimulationConfig.Parse(unknown, "f.json")).Message);

        var noStrategy = DefaultText().Replace("\"Reminder\": {", "\"Reminders\": {");
        var message = Assert.Throws<SimulationConfigException>(() => SimulationConfig.Parse(noStrategy, "f.json")).Message;
        Assert.Contains("strategies.Reminder: is required", message);
        Assert.Contains("strategies.Reminders: unknown strategy", message);
    }

    [Fact]
    public async Task The_command_line_refuses_a_bad_file_with_exit_code_2_and_the_field()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sim-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, DefaultText().Replace("\"months\": 12", "\"months\": 0"));
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var code = await SimulatorCli.RunAsync(["report", "--loans", "10", "--sim-config", path], output, error);
            Assert.Equal(SimulatorCli.BadInput, code);
            Assert.Contains("history.months: must be between 1 and 120 (was 0)", error.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65")]
    public async Task The_command_line_refuses_a_floor_without_officers_or_with_too_many(string officers)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await SimulatorCli.RunAsync(["run", "--loans", "10", "--officers", officers], output, error);
        Assert.Equal(SimulatorCli.BadInput, code);
        Assert.Contains($"--officers must be between 1 and 64 (was {officers})", error.ToString());
    }
}
