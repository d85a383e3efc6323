#include "book/example.hpp"

namespace book {

RunningExample running_example(std::int64_t seed)
{
    //! [running_example]
    RunningExample ex{
        backprop::make_network({2, 3, 2}, backprop::Activation::sigmoid,
                               backprop::Activation::sigmoid,
                               static_cast<std::uint64_t>(seed)),
        backprop::Matrix{{0.8}, {0.2}},  // a^[0], one sample
        backprop::Matrix{{1.0}, {0.0}},  // y
        backprop::Loss::l1};
    //! [running_example]
    return ex;
}

}  // namespace book
