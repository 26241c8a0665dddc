#pragma once

#include <initializer_list>
#include <osg/Array>
#include <osg/ref_ptr>

namespace ut::render {

// osg::MixinVector has no initializer-list insert.
template <class Array, class Value>
void appendAll(Array& array, std::initializer_list<Value> values) {
    for (const Value& v : values) array.push_back(v);
}

template <class Array, class Value>
osg::ref_ptr<Array> arrayOf(std::initializer_list<Value> values) {
    osg::ref_ptr<Array> array = new Array;
    appendAll(*array, values);
    return array;
}

}  // namespace ut::render
