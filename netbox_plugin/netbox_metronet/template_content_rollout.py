#: PluginTemplateExtension classes registered by template_content.py
EXTENSIONS: list = []
