#pragma once

#include <QVariantMap>
#include <QWidget>
#include <vector>

class QFormLayout;

namespace ut::sim {
struct PluginMetadata;
}

namespace ut::app {

// Editors for a plugin's parameters, built from its metadata schema: spin boxes with units and
// ranges for numbers, check boxes, combo boxes for choices, line edits for text.
class ParameterForm : public QWidget {
    Q_OBJECT
public:
    explicit ParameterForm(QWidget* parent = nullptr);

    void setSchema(const sim::PluginMetadata& metadata, const QVariantMap& values, bool korean);
    QVariantMap values() const;

private:
    QFormLayout* m_layout;
    std::vector<std::pair<QString, QWidget*>> m_editors;
};

}  // namespace ut::app
