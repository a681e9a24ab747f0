using System.Text;
using KimiEA.Core.Abi;
using KimiEA.Optimize.Inputs;
using Xunit;

namespace KimiEA.Optimize.Tests.Inputs;

public class SetFileTests
{
    // A file as MetaEditor saves it: a comment, ranges on every numeric line, CRLF, a string input without a range.
    private const string Mt5Text =
        "; saved on 2026.12.06 19:00:00\r\n" +
        "; this file contains input parameters for testing/optimizing KimiEA expert advisor\r\n" +
        "InpMode=0||0||0||2||N\r\n" +
        "InpRiskPercent=1.5||0.5||0.25||2.0||Y\r\n" +
        "InpSwingLength=10||5||5||20||Y\r\n" +
        "InpFlattenOnBreaker=true||false||0||true||N\r\n" +
        "InpJournalPath=\r\n" +
        "InpMinRewardRisk=1.5||1.5||0.100000||3.000000||N\r\n";

    private static byte[] Utf16(string s) => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(s)];

    [Fact]
    public void Parse_Utf16LeWithBom_ReadsValuesRangesAndFlags()
    {
        var set = SetFile.Parse(Utf16(Mt5Text), "k.set");

        Assert.Equal(["InpMode", "InpRiskPercent", "InpSwingLength", "InpFlattenOnBreaker", "InpJournalPath", "InpMinRewardRisk"], set.Entries.Select(e => e.Input.Name));
        var risk = set.Entries[1];
        Assert.Equal(1.5m, risk.Value);
        Assert.Equal((0.5m, 0.25m, 2.0m, true), (risk.Start!.Value, risk.Step!.Value, risk.Stop!.Value, risk.Optimize));
        // 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0
        Assert.Equal(7, risk.RangeCount);
        Assert.Equal(1.25m, risk.At(3));
        Assert.Equal(4, set.Entries[2].RangeCount); // 5, 10, 15, 20
        Assert.Equal(1m, set.Entries[3].Value);
        Assert.Equal(["InpRiskPercent", "InpSwingLength"], set.Optimized.Select(e => e.Input.Name));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Parse_Utf8WithOrWithoutBom_SameAsUtf16(bool bom)
    {
        byte[] bytes = bom ? [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Mt5Text)] : Encoding.UTF8.GetBytes(Mt5Text.Replace("\r\n", "\n", StringComparison.Ordinal));
        var utf8 = SetFile.Parse(bytes, "k.set");
        var utf16 = SetFile.Parse(Utf16(Mt5Text), "k.set");
        Assert.Equal(utf16.Entries.Select(e => e with { Line = 0 }), utf8.Entries.Select(e => e with { Line = 0 }));
    }

    [Theory]
    [InlineData("utf16")]
    [InlineData("utf8")]
    public void SaveThenLoad_RoundTripsEveryEntry_InUtf16LeWithBom(string encoding)
    {
        var original = SetFile.Parse(encoding == "utf16" ? Utf16(Mt5Text) : Encoding.UTF8.GetBytes(Mt5Text), "k.set");
        var path = Path.Combine(Path.GetTempPath(), $"kimi-set-{Guid.NewGuid():N}.set");
        try
        {
            original.Save(path);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal((byte)0xFF, bytes[0]);
            Assert.Equal((byte)0xFE, bytes[1]);
            // UTF-16LE: the ASCII letter 'I' of the first input is followed by a zero byte.
            var text = Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
            Assert.Contains("InpRiskPercent=1.5||0.5||0.25||2.0||Y\r\n", text, StringComparison.Ordinal);
            Assert.Contains("InpFlattenOnBreaker=true||false||0||true||N\r\n", text, StringComparison.Ordinal);
            var again = SetFile.Load(path);
            Assert.Equal(original.Entries.Select(e => (e.Input.Name, e.Value, e.Start, e.Step, e.Stop, e.Optimize)),
                again.Entries.Select(e => (e.Input.Name, e.Value, e.Start, e.Step, e.Stop, e.Optimize)));
            Assert.Equal(original.Apply(KimiConfig.Defaults(1, 900)), again.Apply(KimiConfig.Defaults(1, 900)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Apply_MapsInputsAsTheEaBuildConfigDoes()
    {
        var set = SetFile.Parse(Encoding.UTF8.GetBytes("InpRiskPercent=2.5\nInpDailyDrawdownPercent=3||1||1||5||N\nInpFlattenOnBreaker=false\nInpSwingLength=7\nInpMode=2\n"), "x.set");
        var c = set.Apply(KimiConfig.Defaults(5, 900));
        Assert.Equal(0.025, c.RiskPerTrade); // InpRiskPercent / 100.0
        Assert.Equal(0.03, c.DailyDrawdown);
        Assert.Equal(0, c.FlattenOnBreaker);
        Assert.Equal(7, c.SwingLength);
        // InpMode is the EA's, not the tester's: the config keeps the tester's mode.
        Assert.Equal(AbiCodes.ModeSimulation, c.Mode);
        Assert.Equal(5, c.Magic);
    }

    [Theory]
    [InlineData("InpRiskPercent=1\nInpSwingLenght=10||5||1||20||Y\n", "x.set:2", "'InpSwingLenght' is not an input")]
    [InlineData("InpSwingLength=10||5||0||20||Y\n", "x.set:1", "step must be positive")]
    [InlineData("InpSwingLength=10||20||1||5||Y\n", "x.set:1", "start 20 is after stop 5")]
    [InlineData("InpBreakerResetHour=24\n", "x.set:1", "outside the EA's valid range")]
    [InlineData("InpSwingLength=0||1||1||3||N\n", "x.set:1", "outside the EA's valid range")]
    [InlineData("InpBreakerResetHour=0||0||4||24||Y\n", "x.set:1", "last value of the range 24")]
    [InlineData("InpSwingLength=10||5||2.5||20||Y\n", "x.set:1", "whole number")]
    [InlineData("InpSizing=3\n", "x.set:1", "not one of 0, 1")]
    [InlineData("InpMagic=1||1||1||5||Y\n", "x.set:1", "cannot be optimised")]
    [InlineData("InpRiskPercent=abc\n", "x.set:1", "'abc' is not a number")]
    [InlineData("InpRiskPercent=1\nInpRiskPercent=2\n", "x.set:2", "already set on line 1")]
    [InlineData("InpMinConfidence=0.9\n", "x.set:1", "InpMinConfidence=0.9")]
    [InlineData("InpRiskPercent=1||1||1||2||maybe\n", "x.set:1", "Y or N")]
    public void Parse_BadInput_ErrorNamesFileLineAndProblem(string text, string where, string problem)
    {
        var e = Assert.Throws<SetFileException>(() => SetFile.Parse(Encoding.UTF8.GetBytes(text), "x.set"));
        Assert.StartsWith(where + ":", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValuesValidTogether_AreNotRefusedOneByOne()
    {
        // min 0.9 alone is above the default auto-execute 0.85 (refused); with auto 0.95 the pair is valid.
        var set = SetFile.Parse(Encoding.UTF8.GetBytes("InpMinConfidence=0.9\nInpAutoConfidence=0.95\n"), "x.set");
        Assert.Equal(0.9, set.Apply(KimiConfig.Defaults(0, 900)).MinConfidence);
    }

    [Fact]
    public void Parse_InvalidUtf8_IsRefusedNamingTheFile()
    {
        var e = Assert.Throws<SetFileException>(() => SetFile.Parse([0x49, 0x6E, 0xC3, 0x28, 0x0A], "bad.set"));
        Assert.StartsWith("bad.set:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostOnlyInputs_SetAwayFromTheirDefault_AreNamedAsNotApplied()
    {
        // InpJournalPath empty (its default) says nothing; a calibration file and print flag set in the file would be
        // lost without a word: each gets one notice naming file, line and the option that does it instead.
        var set = SetFile.Parse(Encoding.UTF8.GetBytes("InpJournalPath=\nInpCalibrationFile=eurusd-h1.json\nInpSwingLength=10||5||5||20||N\nInpPrintEvents=true\n"), "k.set");

        var notices = set.HostOnlyNotices();

        Assert.Equal(2, notices.Count);
        Assert.Equal("notice: k.set:2: InpCalibrationFile=eurusd-h1.json is not applied: kimi backtest takes the calibration file from --calibration.", notices[0]);
        Assert.StartsWith("notice: k.set:4: InpPrintEvents=true is not applied:", notices[1], StringComparison.Ordinal);
    }
}
