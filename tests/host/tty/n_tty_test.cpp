// The line discipline on the host: canonical editing, echo, input mapping, signal characters, raw
// mode, output processing. Bytes go in through tty_receive() (as the UART interrupt hands them over);
// echo comes out of a capturing driver; signals go to the tty's test hook.
#include <drivers/tty/tty.hpp>
#include <gtest/gtest.h>
#include <string.h>
#include <string>
#include <vector>

namespace {

struct Capture {
    std::string out;
    std::vector<int> sigs;
};
Capture* capture;

void capture_write(Tty*, const char* buf, size_t len) { capture->out.append(buf, len); }
void capture_signal(Tty*, int sig) { capture->sigs.push_back(sig); }
const TtyOperations capture_ops = {.write = capture_write};

class NTtyTest : public ::testing::Test {
protected:
    void SetUp() override {
        capture = &cap;
        tty = new Tty;
        tty_init(tty, "ttyT", MKDEV(4, 99), &capture_ops);
        tty->isig_hook = capture_signal;
    }
    void TearDown() override { delete tty; }

    void type(const std::string& s) { tty_receive(tty, reinterpret_cast<const uint8_t*>(s.data()), s.size()); }
    // One read's worth (a line in canonical mode).
    std::string take(size_t max = 4096, bool* done = nullptr) {
        char buf[N_TTY_BUF_SIZE];
        bool line_done = false;
        size_t n = n_tty_take(tty, buf, max, &line_done);
        if (done) *done = line_done;
        return std::string(buf, n);
    }
    void set_lflag(tcflag_t on, tcflag_t off) {
        ktermios t = tty_get_termios(tty);
        t.c_lflag = (t.c_lflag | on) & ~off;
        ASSERT_FALSE(tty_set_termios(tty, t, false).is_error());
    }
    void set_iflag(tcflag_t on, tcflag_t off) {
        ktermios t = tty_get_termios(tty);
        t.c_iflag = (t.c_iflag | on) & ~off;
        ASSERT_FALSE(tty_set_termios(tty, t, false).is_error());
    }

    Capture cap;
    Tty* tty = nullptr;
};

TEST_F(NTtyTest, DefaultTermiosIsLinuxSerialConsole) {
    // What `stty -g` prints on a Linux serial console at 115200: 500:5:1cb2:8a3b:3:1c:7f:15:4:0:1:0:11:13:1a:0:12:f:17:16:0
    ktermios t = tty_get_termios(tty);
    EXPECT_EQ(t.c_iflag, 0x500u);
    EXPECT_EQ(t.c_oflag, 0x5u);
    EXPECT_EQ(t.c_cflag, 0x1cb2u);
    EXPECT_EQ(t.c_lflag, 0x8a3bu);
    const uint8_t cc[] = {3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16, 0};
    EXPECT_EQ(memcmp(t.c_cc, cc, sizeof(cc)), 0);
    EXPECT_EQ(t.c_ospeed, 115200u);
    winsize ws = tty_get_winsize(tty);
    EXPECT_EQ(ws.ws_row, 24);
    EXPECT_EQ(ws.ws_col, 80);
}

TEST_F(NTtyTest, CanonicalLineIsReadableOnlyWhenComplete) {
    type("ab");
    EXPECT_EQ(n_tty_chars_available(tty), 0u);
    EXPECT_EQ(cap.out, "ab");
    type("\r");  // ICRNL
    EXPECT_EQ(n_tty_chars_available(tty), 3u);
    EXPECT_EQ(cap.out, "ab\r\n");  // the newline echoed through ONLCR
    bool done = false;
    EXPECT_EQ(take(4096, &done), "ab\n");
    EXPECT_TRUE(done);
}

TEST_F(NTtyTest, ReadStopsAtEachLineAndAtTheBufferSize) {
    type("one\ntwo\n");
    EXPECT_EQ(take(2), "on");
    EXPECT_EQ(take(), "e\n");
    EXPECT_EQ(take(), "two\n");
    EXPECT_EQ(take(), "");
}

TEST_F(NTtyTest, EraseTakesBackOneCharacterAndItsEcho) {
    type("abc\x7f");
    EXPECT_EQ(cap.out, "abc\b \b");
    type("\x7f\x7f\x7f");  // past the start of the line: nothing more
    EXPECT_EQ(cap.out, "abc\b \b\b \b\b \b");
    type("xy\n");
    EXPECT_EQ(take(), "xy\n");
}

TEST_F(NTtyTest, EraseOfAControlCharacterTakesBothColumnsOfItsEcho) {
    type("a\x01");
    EXPECT_EQ(cap.out, "a^A");
    type("\x7f");
    EXPECT_EQ(cap.out, "a^A\b \b\b \b");
}

TEST_F(NTtyTest, EraseOfATabMovesBackToWhereTheTabStarted) {
    type("ab\t");
    type("\x7f");
    EXPECT_EQ(cap.out, "ab\t\b\b\b\b\b\b");
    type("\n");
    EXPECT_EQ(take(), "ab\n");
}

TEST_F(NTtyTest, EraseOfATabCountsFromTheOutputBeforeTheLine) {
    n_tty_output(tty, "$ ", 2);  // a prompt: the line starts at column 2
    type("\t\x7f");
    EXPECT_EQ(cap.out, "$ \t\b\b\b\b\b\b");
}

TEST_F(NTtyTest, EraseDoesNotReachIntoACompletedLine) {
    type("done\n\x7f");
    EXPECT_EQ(take(), "done\n");
}

TEST_F(NTtyTest, KillWithEchokeErasesTheLineVisually) {
    type("abc\x15");
    EXPECT_EQ(cap.out, "abc\b \b\b \b\b \b");
    type("x\n");
    EXPECT_EQ(take(), "x\n");
}

TEST_F(NTtyTest, KillWithoutEchokeEchoesTheCharacterAndANewline) {
    set_lflag(0, ECHOKE);
    type("abc\x15");
    EXPECT_EQ(cap.out, "abc^U\r\n");
    type("x\n");
    EXPECT_EQ(take(), "x\n");
}

TEST_F(NTtyTest, WordEraseTakesTheLastWord) {
    type("foo bar\x17");
    type("\n");
    EXPECT_EQ(take(), "foo \n");
    type("foo bar  \x17\x17\n");
    EXPECT_EQ(take(), "\n");
}

TEST_F(NTtyTest, EofEndsALineWithoutBeingReadAndAloneReadsAsEndOfFile) {
    type("ab\x04");
    EXPECT_EQ(cap.out, "ab");  // VEOF is not echoed
    bool done = false;
    EXPECT_EQ(take(4096, &done), "ab");
    EXPECT_TRUE(done);
    type("\x04");
    EXPECT_EQ(n_tty_chars_available(tty), 1u);
    EXPECT_EQ(n_tty_inq(tty), 0u);
    EXPECT_EQ(take(4096, &done), "");
    EXPECT_TRUE(done);  // an empty line: read() returns 0
}

TEST_F(NTtyTest, EolIsALineEnd) {
    ktermios t = tty_get_termios(tty);
    t.c_cc[VEOL] = ';';
    ASSERT_FALSE(tty_set_termios(tty, t, false).is_error());
    type("a;b");
    EXPECT_EQ(take(), "a;");
}

TEST_F(NTtyTest, SignalCharactersSignalFlushAndEcho) {
    type("ab\x03");
    ASSERT_EQ(cap.sigs.size(), 1u);
    EXPECT_EQ(cap.sigs[0], SIGINT);
    EXPECT_EQ(cap.out, "ab^C");
    type("\n");
    EXPECT_EQ(take(), "\n");  // "ab" was flushed
    type("\x1c\x1a");
    ASSERT_EQ(cap.sigs.size(), 3u);
    EXPECT_EQ(cap.sigs[1], SIGQUIT);
    EXPECT_EQ(cap.sigs[2], SIGTSTP);
}

TEST_F(NTtyTest, NoflshKeepsTheInput) {
    set_lflag(NOFLSH, 0);
    type("ab\x03\n");
    EXPECT_EQ(cap.sigs.size(), 1u);
    EXPECT_EQ(take(), "ab\n");
}

TEST_F(NTtyTest, WithoutIsigTheCharactersAreData) {
    set_lflag(0, ISIG);
    type("\x03\n");
    EXPECT_TRUE(cap.sigs.empty());
    EXPECT_EQ(take(), "\x03\n");
}

TEST_F(NTtyTest, LiteralNextQuotesASpecialCharacter) {
    type("\x16\x03\n");
    EXPECT_TRUE(cap.sigs.empty());
    EXPECT_EQ(take(), "\x03\n");
    EXPECT_EQ(cap.out, "^\b^C\r\n");
}

TEST_F(NTtyTest, ReprintShowsTheLineAgain) {
    type("ab\x12");
    EXPECT_EQ(cap.out, "ab^R\r\nab");
}

TEST_F(NTtyTest, InputMapping) {
    set_iflag(IGNCR, 0);
    type("a\rb\n");
    EXPECT_EQ(take(), "ab\n");
    set_iflag(INLCR, IGNCR | ICRNL);
    set_lflag(0, ICANON);
    type("\n\r");
    EXPECT_EQ(take(), "\r\r");
}

TEST_F(NTtyTest, EchoOffAndEchonl) {
    set_lflag(ECHONL, ECHO);
    type("secret\n");
    EXPECT_EQ(cap.out, "\r\n");
    EXPECT_EQ(take(), "secret\n");
}

TEST_F(NTtyTest, RawModeMakesEveryByteReadableAtOnce) {
    set_lflag(0, ICANON | ECHO);
    type("a");
    EXPECT_EQ(n_tty_chars_available(tty), 1u);
    type("\x7f\x15");  // no editing
    EXPECT_EQ(take(), "a\x7f\x15");
    EXPECT_EQ(cap.out, "");
}

TEST_F(NTtyTest, SwitchingModesKeepsPendingInput) {
    type("part");
    set_lflag(0, ICANON);
    EXPECT_EQ(take(2), "pa");
    set_lflag(ICANON, 0);
    EXPECT_EQ(n_tty_chars_available(tty), 2u);  // what was typed raw is one line now
    bool done = false;
    EXPECT_EQ(take(4096, &done), "rt");
    EXPECT_TRUE(done);
}

TEST_F(NTtyTest, IxonStopsAndStartsOutput) {
    type("\x13");
    EXPECT_TRUE(tty->stopped);
    type("\x11");
    EXPECT_FALSE(tty->stopped);
    type("\n");
    EXPECT_EQ(take(), "\n");  // neither was queued
}

TEST_F(NTtyTest, OutputProcessing) {
    n_tty_output(tty, "a\nb", 3);
    EXPECT_EQ(cap.out, "a\r\nb");
    cap.out.clear();
    ktermios t = tty_get_termios(tty);
    t.c_oflag &= ~OPOST;
    ASSERT_FALSE(tty_set_termios(tty, t, false).is_error());
    n_tty_output(tty, "a\nb", 3);
    EXPECT_EQ(cap.out, "a\nb");
    cap.out.clear();
    t.c_oflag = OPOST | XTABS;
    ASSERT_FALSE(tty_set_termios(tty, t, false).is_error());
    n_tty_output(tty, "\rab\tc", 5);  // the carriage return starts the column count again
    EXPECT_EQ(cap.out, "\rab      c");
}

TEST_F(NTtyTest, AFullBufferStillTakesTheLineEnd) {
    std::string lots(N_TTY_BUF_SIZE + 100, 'x');
    type(lots);
    type("\n");
    std::string line;
    for (;;) {
        bool done = false;
        line += take(512, &done);
        if (done) break;
    }
    EXPECT_EQ(line.size(), N_TTY_BUF_SIZE);
    EXPECT_EQ(line.back(), '\n');
}

TEST_F(NTtyTest, FlushDropsEverything) {
    type("a\nb");
    tty_flush_input(tty);
    type("c\n");
    EXPECT_EQ(take(), "c\n");
}

TEST_F(NTtyTest, WindowSizeChangeSignalsSigwinch) {
    tty_set_winsize(tty, winsize{24, 80, 0, 0});
    EXPECT_TRUE(cap.sigs.empty());
    tty_set_winsize(tty, winsize{50, 132, 0, 0});
    ASSERT_EQ(cap.sigs.size(), 1u);
    EXPECT_EQ(cap.sigs[0], SIGWINCH);
}

}  // namespace
