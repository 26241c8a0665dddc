#include "ParameterForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

#include "ut/sim/PluginMetadata.h"

namespace ut::app {

ParameterForm::ParameterForm(QWidget* parent) : QWidget(parent), m_layout(new QFormLayout(this)) {
    m_layout->setContentsMargins(0, 0, 0, 0);
}

void ParameterForm::setSchema(const sim::PluginMetadata& metadata, const QVariantMap& values, bool korean) {
    while (m_layout->rowCount() > 0) m_layout->removeRow(0);
    m_editors.clear();
    for (const sim::ParameterSpec& p : metadata.parameters) {
        const QVariant value = values.value(p.id, p.defaultValue);
        QWidget* editor = nullptr;
        const QString suffix = p.unit.isEmpty() ? QString() : QStringLiteral(" ") + p.unit;
        switch (p.type) {
            case sim::ParameterType::Number: {
                auto* box = new QDoubleSpinBox(this);
                box->setRange(p.minimum.value_or(-1e12), p.maximum.value_or(1e12));
                box->setDecimals(2);
                box->setSuffix(suffix);
                box->setValue(value.toDouble());
                editor = box;
                break;
            }
            case sim::ParameterType::Integer: {
                auto* box = new QSpinBox(this);
                box->setRange(static_cast<int>(p.minimum.value_or(-1e9)), static_cast<int>(p.maximum.value_or(1e9)));
                box->setSuffix(suffix);
                box->setValue(value.toInt());
                editor = box;
                break;
            }
            case sim::ParameterType::Boolean: {
                auto* box = new QCheckBox(this);
                box->setChecked(value.toBool());
                editor = box;
                break;
            }
            case sim::ParameterType::Choice: {
                auto* box = new QComboBox(this);
                box->addItems(p.choices);
                box->setCurrentText(value.toString());
                editor = box;
                break;
            }
            case sim::ParameterType::Text: {
                editor = new QLineEdit(value.toString(), this);
                break;
            }
        }
        editor->setToolTip(p.description);
        editor->setObjectName(p.id);
        m_layout->addRow((korean && !p.labelKo.isEmpty()) ? p.labelKo : p.label, editor);
        m_editors.emplace_back(p.id, editor);
    }
}

QVariantMap ParameterForm::values() const {
    QVariantMap result;
    for (const auto& [id, editor] : m_editors) {
        if (auto* d = qobject_cast<QDoubleSpinBox*>(editor)) result.insert(id, d->value());
        else if (auto* i = qobject_cast<QSpinBox*>(editor)) result.insert(id, i->value());
        else if (auto* c = qobject_cast<QCheckBox*>(editor)) result.insert(id, c->isChecked());
        else if (auto* b = qobject_cast<QComboBox*>(editor)) result.insert(id, b->currentText());
        else if (auto* l = qobject_cast<QLineEdit*>(editor)) result.insert(id, l->text());
    }
    return result;
}

}  // namespace ut::app
