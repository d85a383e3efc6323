#include "grader/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace grader {

namespace {

using Clock = std::chrono::steady_clock;

void close_quietly(int& fd)
{
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

// In the child, after fork: nothing here may allocate or throw.
[[noreturn]] void exec_child(char* const* argv, const char* directory, int output, int report, int report_at)
{
    ::setpgid(0, 0);
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    const int in = ::open("/dev/null", O_RDONLY);
    if (in < 0 || ::dup2(in, STDIN_FILENO) < 0 || ::dup2(output, STDOUT_FILENO) < 0 ||
        ::dup2(output, STDERR_FILENO) < 0) {
        ::_exit(127);
    }
    if (report == report_at) {
        ::fcntl(report, F_SETFD, 0);  // dup2 onto itself would keep close-on-exec
    } else if (report >= 0 && ::dup2(report, report_at) < 0) {
        ::_exit(127);
    }
    // Nothing else of the grader's is inherited: no file it is writing, no other pipe.
    const int keep = report >= 0 ? report_at : STDERR_FILENO;
    for (int fd = keep + 1; fd < 1024; ++fd) {
        ::close(fd);
    }
    for (int fd = STDERR_FILENO + 1; fd < keep; ++fd) {
        ::close(fd);
    }
    if (directory[0] != '\0' && ::chdir(directory) != 0) {
        ::_exit(127);
    }
    ::execv(argv[0], argv);
    ::_exit(127);
}

// Reads what is there from `fd` into `into` (up to `limit` bytes kept); false at EOF.
bool drain(int fd, std::string& into, std::size_t limit, bool& cut)
{
    char buffer[8192];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
        const std::size_t room = into.size() < limit ? limit - into.size() : 0;
        into.append(buffer, std::min(room, static_cast<std::size_t>(n)));
        cut = cut || static_cast<std::size_t>(n) > room;
        return true;
    }
    return n < 0 && (errno == EINTR || errno == EAGAIN);
}

}  // namespace

std::string signal_name(int signal)
{
    switch (signal) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGABRT:
        return "SIGABRT";
    case SIGFPE:
        return "SIGFPE";
    case SIGBUS:
        return "SIGBUS";
    case SIGILL:
        return "SIGILL";
    case SIGKILL:
        return "SIGKILL";
    case SIGTERM:
        return "SIGTERM";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGPIPE:
        return "SIGPIPE";
    case SIGINT:
        return "SIGINT";
    case SIGXCPU:
        return "SIGXCPU";
    case SIGSYS:
        return "SIGSYS";
    default:
        return "signal " + std::to_string(signal);
    }
}

Finished run_process(const std::vector<std::string>& argv, const RunOptions& options)
{
    if (argv.empty()) {
        throw std::runtime_error("nothing to run");
    }
    // The report pipe's write end goes to the child as a descriptor above the standard
    // three; the grader keeps the read end.
    constexpr int report_at = 3;
    int output[2] = {-1, -1};
    int report[2] = {-1, -1};
    if (::pipe2(output, O_CLOEXEC) != 0 || (options.report_pipe && ::pipe2(report, O_CLOEXEC) != 0)) {
        throw std::runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    }
    std::vector<std::string> args = argv;
    std::vector<char*> raw;
    for (std::string& a : args) {
        raw.push_back(a.data());
    }
    raw.push_back(nullptr);
    std::string directory = options.directory;
    if (options.report_pipe) {
        ::setenv(report_fd_variable, std::to_string(report_at).c_str(), 1);
    }
    const auto start = Clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
        exec_child(raw.data(), directory.c_str(), output[1], report[1], report_at);
    }
    ::unsetenv(report_fd_variable);
    const int fork_error = errno;
    close_quietly(output[1]);
    close_quietly(report[1]);
    if (pid < 0) {
        close_quietly(output[0]);
        close_quietly(report[0]);
        throw std::runtime_error(std::string("cannot start ") + argv[0] + ": " + std::strerror(fork_error));
    }
    ::setpgid(pid, pid);  // also from here, so the group exists before any kill

    Finished f;
    const auto deadline =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.timeout));
    bool report_cut = false;
    const std::size_t max_report = 1 << 22;
    // Read both pipes until both are closed or the time is up.
    while (output[0] >= 0 || report[0] >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            f.timed_out = true;
            break;
        }
        pollfd fds[2] = {{output[0], POLLIN, 0}, {report[0], POLLIN, 0}};
        const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
        if (ready < 0 && errno != EINTR) {
            break;
        }
        if (fds[0].fd >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
            !drain(output[0], f.output, options.max_output, f.output_cut)) {
            close_quietly(output[0]);
        }
        if (fds[1].fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
            !drain(report[0], f.report, max_report, report_cut)) {
            close_quietly(report[0]);
        }
    }
    // The pipes are closed (or the time is up): wait for the process itself.
    int status = 0;
    while (true) {
        if (f.timed_out) {
            ::kill(-pid, SIGKILL);
        }
        const pid_t done = ::waitpid(pid, &status, f.timed_out ? 0 : WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) {
            break;
        }
        if (done == 0 && Clock::now() >= deadline) {
            f.timed_out = true;
        } else if (done == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    // Whatever it left behind in its group goes too.
    ::kill(-pid, SIGKILL);
    close_quietly(output[0]);
    close_quietly(report[0]);
    f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!f.timed_out) {
        if (WIFSIGNALED(status)) {
            f.signaled = true;
            f.signal = WTERMSIG(status);
        } else if (WIFEXITED(status)) {
            f.status = WEXITSTATUS(status);
        }
    }
    if (report_cut) {
        f.report += "\n(cut)\n";
    }
    return f;
}

}  // namespace grader
