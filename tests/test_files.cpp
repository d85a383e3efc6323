// The programs' one reader and writer (src/book/files.hpp): what it refuses, that it keeps
// what it replaces whole (mode, owner, symbolic links), that a set of files appears whole
// or not at all, and that a kill, a full disk or a second program saving at once never
// damages the file on disk.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "book/files.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

// A new empty directory under /tmp, removed with everything in it at the end.
struct TempDir {
    fs::path path;
    TempDir()
    {
        char name[] = "/tmp/backprop-files-XXXXXX";
        REQUIRE(::mkdtemp(name) != nullptr);
        path = name;
    }
    ~TempDir()
    {
        std::error_code ignored;
        ::chmod(path.c_str(), 0700);
        fs::remove_all(path, ignored);
    }
    std::string operator/(const std::string& name) const { return (path / name).string(); }
    // The names in the directory, sorted.
    std::set<std::string> names() const
    {
        std::set<std::string> out;
        for (const auto& e : fs::directory_iterator(path)) {
            out.insert(e.path().filename().string());
        }
        return out;
    }
};

std::string error_of(const std::function<void()>& f)
{
    try {
        f();
    } catch (const book::FileError& e) {
        return e.what();
    }
    return "no error";
}

void put(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

mode_t mode_of(const std::string& path)
{
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// Runs f in a child process with a private mount namespace (as root, or as root of a new
// user namespace otherwise), so that it can mount a small tmpfs that nothing else sees.
// Returns the child's exit status.
int in_private_mounts(const std::function<int()>& f)
{
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int flags = ::geteuid() == 0 ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS;
        if (::unshare(flags) != 0 || ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
            std::_Exit(90);
        }
        std::_Exit(f());
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("A new file is written whole, with the mode a new file gets", "[files]")
{
    TempDir dir;
    const std::string path = dir / "model.json";
    book::write_file(path, "{\"a\": 1}\n");
    CHECK(support::slurp(path) == "{\"a\": 1}\n");
    const mode_t mask = ::umask(0);
    ::umask(mask);
    CHECK(mode_of(path) == (0666 & ~mask));
    CHECK(dir.names() == std::set<std::string>{"model.json"});  // no temporary file left
}

TEST_CASE("Replacing a file keeps its mode and its owner", "[files]")
{
    TempDir dir;
    const std::string path = dir / "model.json";
    put(path, "old");
    REQUIRE(::chmod(path.c_str(), 0600) == 0);
    const bool root = ::geteuid() == 0;
    if (root) {
        REQUIRE(::chown(path.c_str(), 12345, 23456) == 0);  // another user's file
    }
    book::write_file(path, "new");
    CHECK(support::slurp(path) == "new");
    CHECK(mode_of(path) == 0600);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK(st.st_uid == (root ? 12345u : ::geteuid()));
    CHECK(st.st_gid == (root ? 23456u : st.st_gid));
    CHECK(dir.names() == std::set<std::string>{"model.json"});
}

TEST_CASE("A symbolic link is written through: the file it points to changes, the link stays", "[files]")
{
    TempDir dir;
    fs::create_directory(dir.path / "real");
    put(dir / "real/model.json", "old");
    fs::create_symlink("real/model.json", dir.path / "link.json");
    book::write_file(dir / "link.json", "new");
    CHECK(fs::is_symlink(dir.path / "link.json"));
    CHECK(support::slurp(dir / "real/model.json") == "new");
    SECTION("a dangling link creates the file it names")
    {
        fs::create_symlink("real/fresh.json", dir.path / "dangling.json");
        book::write_file(dir / "dangling.json", "fresh");
        CHECK(fs::is_symlink(dir.path / "dangling.json"));
        CHECK(support::slurp(dir / "real/fresh.json") == "fresh");
    }
}

TEST_CASE("Devices, FIFOs, sockets and directories are refused, before and at writing, and left alone", "[files]")
{
    TempDir dir;
    std::vector<std::pair<std::string, std::string>> cases;  // path, what the message says
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    cases.push_back({dir / "fifo", "is a FIFO (a named pipe), not a regular file"});
    fs::create_directory(dir.path / "sub");
    cases.push_back({dir / "sub", "is a directory, not a file"});
    const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string sock_path = dir / "sock";
    REQUIRE(sock_path.size() < sizeof addr.sun_path);
    std::copy(sock_path.begin(), sock_path.end(), addr.sun_path);
    REQUIRE(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    cases.push_back({sock_path, "is a socket, not a regular file"});
    if (::geteuid() == 0) {
        // A null device of our own, in the temporary directory: never the system's.
        REQUIRE(::mknod((dir / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
        cases.push_back({dir / "null", "is a character device (like /dev/null), not a regular file"});
    }
    fs::create_symlink("fifo", dir.path / "link-to-fifo");
    cases.push_back({dir / "link-to-fifo", "is a FIFO"});
    for (const auto& [path, says] : cases) {
        INFO(path);
        CHECK_THAT(error_of([&] { book::check_output_file(path, "--save"); }), Contains("--save: '" + path) &&
                                                                                    Contains(says));
        CHECK_THAT(error_of([&] { book::write_file(path, "x"); }), Contains(says));
    }
    ::close(sock);
    struct stat st {};
    REQUIRE(::stat((dir / "fifo").c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
    if (::geteuid() == 0) {
        REQUIRE(::stat((dir / "null").c_str(), &st) == 0);
        CHECK(S_ISCHR(st.st_mode));
    }
}

TEST_CASE("Output paths are checked before any work: empty, long, in a missing directory", "[files]")
{
    TempDir dir;
    CHECK_THAT(error_of([] { book::check_output_file("", "--save"); }), Contains("--save: the value is empty"));
    CHECK_THAT(error_of([] { book::check_output_directory("", "--figures"); }),
               Contains("--figures: the value is empty"));
    const std::string long_path(100000, 'a');
    const std::string e = error_of([&] { book::check_output_file(long_path, "--save"); });
    CHECK_THAT(e, Contains("the path is 100000 bytes long; the longest is 4095"));
    CHECK(e.size() < 200);  // the value is shortened in the message
    CHECK_THAT(error_of([&] { book::check_output_file(dir / std::string(300, 'n'), "--save"); }),
               Contains("has a part longer than the 255 bytes"));
    CHECK_THAT(error_of([&] { book::check_output_file(dir / "missing/model.json", "--save"); }),
               Contains("is in a directory that does not exist"));
    put(dir / "file", "x");
    CHECK_THAT(error_of([&] { book::check_output_file(dir / "file/model.json", "--save"); }),
               Contains("has a part that is not a directory"));
    CHECK_THAT(error_of([&] { book::check_output_directory(dir / "file", "--figures"); }),
               Contains("is not a directory"));
    CHECK_THAT(error_of([&] { book::check_output_directory(dir / "missing", "--figures"); }),
               Contains("does not exist"));
    CHECK(error_of([&] { book::check_output_file(dir / "new.json", "--save"); }) == "no error");
    CHECK(error_of([&] { book::check_output_directory(dir.path.string(), "--figures"); }) == "no error");
    CHECK(dir.names() == std::set<std::string>{"file"});  // the checks leave nothing behind
}

TEST_CASE("Input files: a directory, a FIFO with no writer, a missing or too large file are refused at once",
          "[files]")
{
    TempDir dir;
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    const auto started = std::chrono::steady_clock::now();
    CHECK_THAT(error_of([&] { book::read_file(dir / "fifo", "--data", 1000); }), Contains("is a FIFO"));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));  // no hang in open()
    CHECK_THAT(error_of([&] { book::read_file(dir.path.string(), "--data", 1000); }),
               Contains("is a directory, not a file"));
    CHECK_THAT(error_of([&] { book::read_file(dir / "none.csv", "--data", 1000); }), Contains("does not exist"));
    put(dir / "big.csv", std::string(2000, '1'));
    CHECK_THAT(error_of([&] { book::read_file(dir / "big.csv", "--data", 1000); }),
               Contains("is 2000 bytes; the largest file this program reads is 1000 bytes"));
    CHECK(book::read_file(dir / "big.csv", "--data", 2000) == std::string(2000, '1'));
    CHECK_THAT(error_of([] { book::read_file("", "--data", 10); }), Contains("--data: the value is empty"));
}

TEST_CASE("A set of files appears whole or not at all", "[files]")
{
    TempDir dir;
    put(dir / "a.dot", "old a");
    book::write_files({{dir / "a.dot", "new a"}, {dir / "b.tsv", "new b"}});
    CHECK(support::slurp(dir / "a.dot") == "new a");
    CHECK(support::slurp(dir / "b.tsv") == "new b");
    SECTION("one target that cannot be written changes none of the others")
    {
        fs::create_directory(dir.path / "c.svg");
        CHECK_THAT(error_of([&] {
                       book::write_files({{dir / "a.dot", "newer a"}, {dir / "b.tsv", "newer b"}, {dir / "c.svg", "c"}});
                   }),
                   Contains("c.svg"));
        CHECK(support::slurp(dir / "a.dot") == "new a");
        CHECK(support::slurp(dir / "b.tsv") == "new b");
        CHECK(dir.names() == std::set<std::string>{"a.dot", "b.tsv", "c.svg"});
    }
}

TEST_CASE("On a full disk the old file stays whole, nothing is left behind, and a set changes nothing",
          "[files]")
{
    TempDir dir;
    const std::string mount_point = dir.path.string();
    const int status = in_private_mounts([&] {
        if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=64k") != 0) {
            return 91;
        }
        put(mount_point + "/model.json", "the old model");
        put(mount_point + "/a.dot", "old a");
        const std::string big(1 << 20, 'x');
        const std::string one = error_of([&] { book::write_file(mount_point + "/model.json", big); });
        const std::string set = error_of([&] {
            book::write_files({{mount_point + "/a.dot", "new a"}, {mount_point + "/b.dot", big}});
        });
        std::size_t entries = 0;
        for (const auto& e : fs::directory_iterator(mount_point)) {
            (void)e;
            ++entries;
        }
        if (one.find("No space left on device") == std::string::npos) return 1;
        if (set.find("No space left on device") == std::string::npos) return 2;
        if (support::slurp(mount_point + "/model.json") != "the old model") return 3;
        if (support::slurp(mount_point + "/a.dot") != "old a") return 4;
        if (entries != 2) return 5;  // model.json and a.dot: no temporary file, no b.dot
        return 0;
    });
    INFO("0 is success; 90/91: no private mount namespace or tmpfs; 1-5: the check that failed");
    CHECK(status == 0);
}

TEST_CASE("A save killed at any moment leaves the old file or the new one, and no other file", "[files]")
{
    TempDir dir;
    const std::string path = dir / "model.json";
    const std::string old_text = "the old model\n";
    const std::string new_text(64 << 20, 'n');  // long enough to kill it while it writes
    int killed_while_writing = 0;
    for (int trial = 0; trial < 8; ++trial) {
        put(path, old_text);
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            book::write_file(path, new_text);
            std::_Exit(0);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5 + 5 * trial));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        killed_while_writing += WIFSIGNALED(status) ? 1 : 0;
        const std::string now = support::slurp(path);
        CHECK((now == old_text || now == new_text));
        CHECK(dir.names() == std::set<std::string>{"model.json"});
    }
    CHECK(killed_while_writing > 0);
}

TEST_CASE("Two programs saving to one path at once each say truthfully whether their file won", "[files]")
{
    TempDir dir;
    const std::string path = dir / "model.json";
    int both_saved = 0, one_lost = 0;
    for (int trial = 0; trial < 60; ++trial) {
        std::vector<pid_t> pids;
        for (const char* text : {"run A\n", "run B\n"}) {
            const pid_t pid = ::fork();
            REQUIRE(pid >= 0);
            if (pid == 0) {
                try {
                    book::write_file(path, text);
                } catch (const book::FileError& e) {
                    std::_Exit(std::string(e.what()).find("was replaced by another program") != std::string::npos ? 3
                                                                                                                : 4);
                }
                std::_Exit(0);
            }
            pids.push_back(pid);
        }
        std::vector<int> codes;
        for (pid_t pid : pids) {
            int status = 0;
            ::waitpid(pid, &status, 0);
            REQUIRE(WIFEXITED(status));
            codes.push_back(WEXITSTATUS(status));
        }
        const std::string on_disk = support::slurp(path);
        INFO("trial " << trial << ": A exited " << codes[0] << ", B exited " << codes[1] << ", on disk: " << on_disk);
        CHECK((codes[0] == 0 || codes[0] == 3));
        CHECK((codes[1] == 0 || codes[1] == 3));
        // Whoever said it lost is not on disk; the file on disk is one that said it was saved.
        if (codes[0] == 3) CHECK(on_disk == "run B\n");
        if (codes[1] == 3) CHECK(on_disk == "run A\n");
        CHECK(((on_disk == "run A\n" && codes[0] == 0) || (on_disk == "run B\n" && codes[1] == 0)));
        both_saved += codes[0] == 0 && codes[1] == 0;
        one_lost += codes[0] == 3 || codes[1] == 3;
        CHECK(dir.names() == std::set<std::string>{"model.json"});
    }
    WARN("of 60 pairs of concurrent saves, " << both_saved << " both kept their file in turn and " << one_lost
                                             << " had one replaced while it saved");
}
