FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# LibreOffice and CJK fonts turn generated DOCX reports into PDF.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-deps -r requirements.txt
COPY . .
RUN SECRET_KEY=collectstatic-build-only python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 portal \
    && mkdir -p /data/media && chown -R portal /data/media /app/staticfiles
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000"]
