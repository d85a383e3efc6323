// The temporary file through which a fuzzer hands its input to a reader that takes a
// path: one per process, rewritten for every input, removed at exit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace fuzz {

// /dev/shm unless TMPDIR says otherwise: on a disk, rewriting one file thousands of times
// a second is slow (ext4 flushes a file that was truncated and rewritten when it is closed).
inline std::filesystem::path temp_dir()
{
    if (std::getenv("TMPDIR") == nullptr && ::access("/dev/shm", W_OK) == 0) {
        return "/dev/shm";
    }
    return std::filesystem::temp_directory_path();
}

inline std::string temp_path;  // set by the first write_temp_file()

inline void remove_temp_file() { std::remove(temp_path.c_str()); }

// Writes the input to this process's temporary file, `backprop-fuzz-<pid><extension>`,
// and returns its path.
inline const std::string& write_temp_file(const std::uint8_t* data, std::size_t size, const char* extension)
{
    if (temp_path.empty()) {
        temp_path = (temp_dir() / ("backprop-fuzz-" + std::to_string(::getpid()) + extension)).string();
        std::atexit(remove_temp_file);
    }
    std::FILE* f = std::fopen(temp_path.c_str(), "wb");
    if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
        std::perror(temp_path.c_str());
        std::exit(1);  // not a finding: the fuzzer cannot run here
    }
    return temp_path;
}

}  // namespace fuzz
