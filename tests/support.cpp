#include "support.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <sys/wait.h>
#include <unistd.h>


namespace support {

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

nlohmann::json run_json(const std::string& command)
{
    const Run r = run(command);
    INFO(command << "\n" << r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.err.empty());
    return nlohmann::json::parse(r.out);
}

Run run(const std::string& command)
{
    char out_path[] = "/tmp/backprop-test-out-XXXXXX";
    char err_path[] = "/tmp/backprop-test-err-XXXXXX";
    const int out_fd = mkstemp(out_path);
    const int err_fd = mkstemp(err_path);
    REQUIRE(out_fd >= 0);
    REQUIRE(err_fd >= 0);
    close(out_fd);
    close(err_fd);
    const std::string full = command + " </dev/null >" + out_path + " 2>" + err_path;
    const int raw = std::system(full.c_str());
    Run r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    std::remove(out_path);
    std::remove(err_path);
    return r;
}

Run run_repeatable(const std::string& command)
{
    const Run a = run(command);
    const Run b = run(command);
    REQUIRE(a.status == 0);
    CHECK(a.out == b.out);
    return a;
}

void check_help(const std::string& program, std::initializer_list<const char*> flags)
{
    const Run r = run(program + " --help");
    CHECK(r.status == 0);
    for (const char* flag : flags) {
        CHECK_THAT(r.out, Catch::Matchers::Contains(flag));
    }
}

std::size_t line_count(const std::string& text)
{
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

void check_bad_input(const Run& r, const std::string& name)
{
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(line_count(r.err) == 1);
    CHECK_THAT(r.err, Catch::Matchers::StartsWith(name + ": error: "));
}

}  // namespace support
